"""Vietnamese text helpers: dates, numbers and symbols, case, NFC, legacy encodings, metrics."""
