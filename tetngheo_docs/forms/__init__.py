"""Reporting forms (biểu mẫu): definition, .docx section, .xlsx for units, collection."""
