"""Readers: a SourceFile in, a typed model (with the problems met on the way) out."""
