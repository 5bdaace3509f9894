"""Records (typed named tuples) that cost a one-shot command nothing to declare.

The records of the query path are declared as typing.NamedTuple classes, which is what
type checkers read. At run time, though, typing.NamedTuple costs a cold `belkg query`
the import of the typing module and, under `from __future__ import annotations`, a
compiled ForwardRef for every field: measured on a busy two-core machine (load 3), 5 ms
for the import and half a millisecond a record, ten records on the path; together about
as much as the query. So at run time `NamedTuple` here builds the same class
as typing's does in Python 3.11 (collections.namedtuple of the fields, their defaults,
and the class body's methods, properties and docstring on it) but keeps each field's
annotation as the text it is. A module on that path imports

    from belkg.records import TYPE_CHECKING, NamedTuple

and anything else from typing under `if TYPE_CHECKING:` (mypy takes that name as true).
tests/test_records.py holds the records to typing's behaviour.
"""

from __future__ import annotations

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    from collections import namedtuple

    # As typing's: attributes a record's body may not set, and those not copied.
    _PROHIBITED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults", "_make", "_replace",
         "_asdict", "_source"}
    )  # fmt: skip
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(cls, typename, bases, namespace):
            if not bases:  # NamedTuple itself
                return super().__new__(cls, typename, bases, namespace)
            if bases != (NamedTuple,):
                raise TypeError("a record inherits from NamedTuple only")
            fields = namespace.get("__annotations__", {})
            defaults = []
            for name in fields:
                if name in namespace:
                    defaults.append(namespace[name])
                elif defaults:
                    raise TypeError(f"non-default namedtuple field {name} cannot follow default field")
            record = namedtuple(typename, list(fields), defaults=defaults, module=namespace["__module__"])
            record.__annotations__ = record.__new__.__annotations__ = dict(fields)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL and key not in record._fields:
                    setattr(record, key, value)
            return record

    class NamedTuple(metaclass=_RecordMeta):
        """The base a record is declared on (see the module's text)."""
