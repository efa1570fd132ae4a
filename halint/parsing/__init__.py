"""Readers: a SourceFile in, a typed model out; what could not be read is a fact for the rules."""
