"""Qt's own texts (standard buttons, file dialogs, calendar) in the user's language, from the catalogs PySide6 ships."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

# Qt's source language is English: for "en" there is nothing to load.
QT_CATALOGS = ("qtbase",)
LOCALES = {"nl": QLocale(QLocale.Language.Dutch, QLocale.Country.Netherlands),
           "en": QLocale(QLocale.Language.English, QLocale.Country.Netherlands)}
# Texts Qt's own Dutch catalog leaves in English (checked against PySide6's qtbase_nl): (context, source) -> Dutch.
SUPPLEMENT = {"nl": {("QFileDialog", "&Look in:"): "&Zoeken in:",
                     ("QFileDialog", "Files of &type:"): "Bestands&type:"}}
_installed: list[QTranslator] = []


class _Supplement(QTranslator):
    """The few texts Qt's catalog misses, looked up before Qt's own catalog."""

    def __init__(self, parent: QCoreApplication, texts: dict[tuple[str, str], str]) -> None:
        super().__init__(parent)
        self._texts = texts

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return self._texts.get((context, source))  # None: not ours, Qt asks the next catalog

    def isEmpty(self) -> bool:
        return not self._texts


def install_qt_translations(app: QCoreApplication, language: str) -> list[str]:
    """Load Qt's catalogs for `language` (replacing earlier ones) and set the locale; returns the catalogs loaded."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(LOCALES.get(language, LOCALES["nl"]))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded: list[str] = []
    for catalog in QT_CATALOGS:
        translator = QTranslator(app)
        if language != "en" and translator.load(f"{catalog}_{language}", folder):
            app.installTranslator(translator)
            _installed.append(translator)  # a translator that is garbage-collected stops translating
            loaded.append(catalog)
    if language in SUPPLEMENT:
        supplement = _Supplement(app, SUPPLEMENT[language])
        app.installTranslator(supplement)  # installed last, so asked first
        _installed.append(supplement)
    return loaded
