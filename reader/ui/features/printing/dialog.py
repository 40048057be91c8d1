"""The "what to print" dialog shown before Print, Print Preview and Export PDF: the current
section, it with its sub-sections, sections ticked in a tree, or the whole briefing; and whether
to include highlights and notes. The platform print dialog then handles printer and paper."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from reader.content import Library, Section
from reader.content.print_job import Scope, in_tree_order, select_sections
from reader.ui.kit.settings import Settings
from reader.ui.library.tree_model import SectionTreeModel

Index = QModelIndex | QPersistentModelIndex
NO_PARENT = QModelIndex()


class CheckableSections(QIdentityProxyModel):
    """The section tree with a check box on every row; ticking a row ticks its sub-sections too."""

    def __init__(self, source: SectionTreeModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source  # a proxy does not keep its source model alive
        self.setSourceModel(source)
        self._checked: dict[int, Section] = {}

    def section(self, index: Index) -> Section | None:
        source = self.sourceModel()
        assert isinstance(source, SectionTreeModel)
        return source.section(self.mapToSource(index))

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid():
            section = self.section(index)
            on = section is not None and id(section) in self._checked
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        section = self.section(index)
        if role != Qt.ItemDataRole.CheckStateRole or section is None:
            return super().setData(index, value, role)
        on = Qt.CheckState(value) == Qt.CheckState.Checked
        self.set_checked(list(section.walk()), on)
        return True

    def set_checked(self, sections: list[Section], on: bool = True) -> None:
        for s in sections:
            if on:
                self._checked[id(s)] = s
            else:
                self._checked.pop(id(s), None)
            index = self.index_of(s)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])

    def index_of(self, section: Section) -> QModelIndex:
        source = self.sourceModel()
        assert isinstance(source, SectionTreeModel)
        return self.mapFromSource(source.index_of(section))

    def chosen(self) -> list[Section]:
        """Ticked sections in tree order."""
        return in_tree_order(self._checked.values())


class PrintOptionsDialog(QDialog):
    """Asks what to print; `sections()` and the two check boxes give the answer."""

    def __init__(self, section: Section, settings: Settings, verb: str = "Print",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PrintOptionsDialog")
        self.setWindowTitle(f"{verb.rstrip('…')} — what to print")
        self.section = section
        self.settings = settings
        briefing = section.briefing
        assert briefing is not None
        self.model = CheckableSections(SectionTreeModel(Library([briefing]), self), self)
        self.model.set_checked(list(section.walk()))
        self.group = QButtonGroup(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"From <b>{briefing.title}</b>, print:"))
        choices = [
            (Scope.SECTION, f"The current section, “{section.title}”"),
            (Scope.SUBTREE, "The current section with its sub-sections"),
            (Scope.CHOSEN, "The sections ticked below"),
            (Scope.BRIEFING, "The whole briefing"),
        ]
        self.buttons: dict[Scope, QRadioButton] = {}
        for scope, label in choices:
            button = QRadioButton(label)
            button.setObjectName(f"scope_{scope.value}")
            self.group.addButton(button)
            self.buttons[scope] = button
            layout.addWidget(button)
        self.tree = QTreeView()
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.expandAll()
        self.tree.setAccessibleName("Sections to print")
        layout.addWidget(self.tree)
        self.highlights = QCheckBox("Include &highlights (in their colours)")
        self.notes = QCheckBox("Include &notes (numbered, listed after each section)")
        self.highlights.setChecked(settings.print_highlights)
        self.notes.setChecked(settings.print_notes)
        layout.addWidget(self.highlights)
        layout.addWidget(self.notes)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText(verb)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.ok_button = box.button(QDialogButtonBox.StandardButton.Ok)
        self.group.buttonToggled.connect(self._on_scope)
        self.model.dataChanged.connect(self._update_ok)
        self.set_scope(self._initial_scope())
        self.resize(460, 520)

    def _initial_scope(self) -> Scope:
        try:
            scope = Scope(self.settings.print_scope)
        except ValueError:
            scope = Scope.SUBTREE
        if scope is Scope.SUBTREE and not self.section.children:
            scope = Scope.SECTION
        return scope

    def set_scope(self, scope: Scope) -> None:
        self.buttons[scope].setChecked(True)
        self._on_scope()

    def scope(self) -> Scope:
        return next((s for s, b in self.buttons.items() if b.isChecked()), Scope.SUBTREE)

    def sections(self) -> list[Section]:
        return select_sections(self.section, self.scope(), self.model.chosen())

    def _on_scope(self, *_args: QAbstractButton | bool) -> None:
        self.tree.setEnabled(self.scope() is Scope.CHOSEN)
        self._update_ok()

    def _update_ok(self, *_args: Any) -> None:
        self.ok_button.setEnabled(bool(self.sections()))

    def accept(self) -> None:
        s = self.settings
        s.print_scope = self.scope().value
        s.print_highlights = self.highlights.isChecked()
        s.print_notes = self.notes.isChecked()
        super().accept()
