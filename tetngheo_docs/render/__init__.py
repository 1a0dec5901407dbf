"""Rendering: the template builder, the engine (prepare + render) and raw OOXML helpers."""
