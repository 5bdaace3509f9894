"""Findings of validation: what is wrong, where, and how to fix it, in words a person reads.

Plain data, free of rdflib, so that reading cached findings stays cheap."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    """One problem found in the graph."""

    rule: str
    message: str
    file: str | None = None
    line: int | None = None
    node: str | None = None
    label: str | None = None
    hint: str | None = None
    path: str | None = None

    def location(self) -> str:
        if self.file and self.line:
            return f"{self.file}:{self.line}"
        return self.file or "-"

    def format(self) -> str:
        """One line for the terminal: FILE:LINE: node (label): [rule] message. Fix: hint"""
        parts = [f"{self.location()}:"]
        if self.node:
            parts.append(self.node + (f" ({self.label})" if self.label else "") + ":")
        parts.append(f"[{self.rule}]")
        parts.append(self.message.rstrip("."))
        text = " ".join(parts)
        if self.path:
            text += f" (property {self.path})"
        if self.hint:
            text += f". Fix: {self.hint}"
        return text

    def as_dict(self) -> dict[str, object]:
        return asdict(self)
