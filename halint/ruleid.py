"""The syntax of a rule ID, or of a prefix naming a range of rules (`HL110`, `HL1`, `HL6`).

One home for it: the command line's --select/--ignore, the configuration file and the inline
suppressions all ask here.
"""

from __future__ import annotations

from halint.regex import compiled

RULE_ID = r"^HL[1-8][0-9]{2}$"  # a rule of the catalogue: HL1xx-HL8xx
RULE_PATTERN = r"^HL[0-9]{1,3}$"  # a rule ID or a prefix of one
_RULE = compiled(RULE_PATTERN)


def is_rule_pattern(text: str) -> bool:
    return _RULE.match(text) is not None


def names_a_rule(pattern: str) -> bool:
    """Whether a rule ID or prefix names at least one rule of the catalogue (`HL999` and `HL9`
    name none: a mistyped --select would check nothing and pass)."""
    from halint.catalogue import all_rule_ids

    return any(rule.startswith(pattern) for rule in all_rule_ids())
