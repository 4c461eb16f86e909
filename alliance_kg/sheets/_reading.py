"""Reading a fact sheet: YAML with the line of every field, checked against the JSON Schema.

The sheet is parsed by PyYAML's safe loader into plain values (a day such as ``2026-01-14`` stays text, as the
schema reads it) together with the line of each field (the node marks), so that every error names the sheet,
the line and the field (``claims[3].value``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final

from alliance_kg.errors import SheetError

__all__ = ["SCHEMA_PATH", "Sheet", "field_name", "read_sheet", "schema"]

#: The JSON Schema of fact sheets (shipped with the package; editors can point their YAML plug-in at it).
SCHEMA_PATH: Final = Path(__file__).resolve().parent / "fact-sheet.schema.json"

#: The largest sheet read (a sheet is a page of text, not a data dump).
MAX_SHEET_BYTES: Final = 1_000_000

#: The most fields (values, keys, items) a sheet may expand to.
MAX_FIELDS: Final = 100_000

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Sheet:
    """A fact sheet as read: its file, its content as plain values, and the line of each field."""

    path: Path
    data: Mapping[str, Any]
    lines: Mapping[Path_, int] = field(repr=False)

    def line(self, where: Path_) -> int | None:
        """The line of the field at ``where`` (``("claims", 3, "value")``), else of the nearest field holding it."""
        for end in range(len(where), -1, -1):
            found = self.lines.get(tuple(where[:end]))
            if found is not None:
                return found
        return None

    def error(self, where: Path_, message: str) -> SheetError:
        """A :class:`SheetError` about the field at ``where``."""
        name = field_name(where)
        return SheetError(f"{name}: {message}" if name else message, path=self.path, line=self.line(where), field=name)


def field_name(where: Path_) -> str:
    """``("claims", 3, "value")`` → ``claims[3].value`` (items counted from 1, as people count lines)."""
    text = ""
    for part in where:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


@cache
def schema() -> Mapping[str, Any]:
    """The fact sheet JSON Schema."""
    loaded: Mapping[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def read_sheet(path: str | Path) -> Sheet:
    """Read and check the sheet at ``path``; raises :class:`SheetError` naming the line and the field."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SheetError(f"cannot read the sheet: {error.strerror or error}", path=path) from None
    if len(raw) > MAX_SHEET_BYTES:
        raise SheetError(f"the sheet is larger than {MAX_SHEET_BYTES} bytes", path=path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SheetError("the sheet is not UTF-8 text", path=path, line=line) from None
    data, lines = _load_yaml(text, path)
    sheet = Sheet(path=path, data=data, lines=lines)
    _check_schema(sheet)
    return sheet


def _load_yaml(text: str, path: Path) -> tuple[dict[str, Any], dict[Path_, int]]:
    import yaml

    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Path_, int] = {}
        data = None if node is None else _value(loader, node, (), lines, path)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "not valid YAML"
        raise SheetError(
            f"not valid YAML: {problem}",
            path=path,
            line=None if mark is None else mark.line + 1,
            column=None if mark is None else mark.column + 1,
        ) from None
    except yaml.YAMLError as error:
        raise SheetError(f"not valid YAML: {error}", path=path) from None
    finally:
        loader.dispose()
    if node is None:
        raise SheetError("the sheet is empty", path=path, line=1)
    if not isinstance(data, dict):
        raise SheetError("a sheet is a mapping with source, entities and claims", path=path, line=1)
    return data, lines


def _value(loader: Any, node: Any, where: Path_, lines: dict[Path_, int], path: Path) -> Any:
    """The plain value of a YAML node (scalars as the safe loader reads them, days kept as text)."""
    import yaml

    lines[where] = node.start_mark.line + 1
    if len(lines) > MAX_FIELDS:  # aliases of aliases ("billion laughs") expand to more than a sheet holds
        raise SheetError(f"the sheet expands to more than {MAX_FIELDS} fields", path=path, line=lines[where])
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node)
            if not isinstance(key, str):
                name = field_name(where)
                raise SheetError(
                    f"{name or 'the sheet'}: a key must be text, not {key!r}",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    field=name,
                )
            if key in result:
                name = field_name((*where, key))
                raise SheetError(
                    f"{name}: given twice (first on line {lines[(*where, key)]})",
                    path=path,
                    line=key_node.start_mark.line + 1,
                    field=name,
                )
            result[key] = _value(loader, value_node, (*where, key), lines, path)
            lines[(*where, key)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_value(loader, item, (*where, index), lines, path) for index, item in enumerate(node.value)]
    return _scalar(loader, node)


def _scalar(loader: Any, node: Any) -> Any:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # a day stays text, as written (and is checked as a day later)
    return loader.construct_object(node, deep=True)


_CONDITIONAL: Final = {
    "required:date": "production start and sales start take 'date': the expression exactly as the source writes it",
    "required:value": "this property takes a 'value': an entity by name",
    "not:then": "production start and sales start take 'date' (the words as written), not 'value'",
    "not:else": "'date' and 'previous' are only for production start and sales start",
}


def _message(error: Any) -> str:
    """A message for people for one schema error."""
    validator = error.validator
    schema_path = [str(part) for part in error.schema_path]
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else str(error.message)
        if "then" in schema_path and missing == "date":
            return _CONDITIONAL["required:date"]
        if "else" in schema_path and missing == "value":
            return _CONDITIONAL["required:value"]
        return f"missing field {missing!r}"
    if validator == "not":
        return _CONDITIONAL["not:then" if "then" in schema_path else "not:else"]
    if validator == "anyOf" and "quotation" in json.dumps(error.validator_value):
        return "give the source's words (quotation) or an English paraphrase (paraphrase), or both"
    if validator == "oneOf":
        if "published" in json.dumps(error.validator_value):
            return "give either published (the publication day) or published_not_before, not both"
        if "entityType" in json.dumps(error.validator_value):
            kinds = ", ".join(schema()["$defs"]["entityType"]["enum"])
            return f"{error.instance!r} is not a type or a list of types among {kinds}"
        return f"{error.instance!r} is neither a text nor {{text: ..., lang: ...}}"
    if validator in ("additionalProperties", "unevaluatedProperties"):
        return str(error.message).replace("Additional properties", "Fields").replace("Unevaluated properties", "Fields")
    if validator == "pattern":
        what = error.schema.get("description", "")
        return f"{error.instance!r} is not valid" + (f": {what[:1].lower()}{what[1:]}" if what else "")
    if validator == "enum":
        return f"{error.instance!r} is not one of: {', '.join(str(v) for v in error.validator_value)}"
    return str(error.message)


def _check_schema(sheet: Sheet) -> None:
    # jsonschema ships no type hints: imported as a module object (Any), so mypy needs no stubs.
    jsonschema: Any = importlib.import_module("jsonschema")

    validator = jsonschema.Draft202012Validator(schema())
    errors = []
    for error in validator.iter_errors(sheet.data):
        where = tuple(error.absolute_path)
        if error.validator == "additionalProperties" or error.validator == "unevaluatedProperties":
            extra = [key for key in error.instance if isinstance(key, str)] if isinstance(error.instance, dict) else []
            unexpected = [key for key in extra if f"'{key}'" in str(error.message)]
            if unexpected:
                where = (*where, unexpected[0])
        errors.append((sheet.line(where) or 0, field_name(where), _message(error)))
    if not errors:
        return
    errors = sorted(set(errors))
    line, name, message = errors[0]
    more = "".join(f"\n  {sheet.path}:{ln}: {nm}: {msg}" for ln, nm, msg in errors[1:])
    raise SheetError(f"{name or 'the sheet'}: {message}{more}", path=sheet.path, line=line or None, field=name)
