"""Stages and backends registered by name, with what they need and what they make.

A stage is a function ``(doc, config) -> None`` that adds layers to a :class:`Document`; the
build checks that every stage's ``requires`` is assigned by an earlier stage before anything
runs. A backend is a named factory for one task (``segment``, ``ner``, ``encode``, …), imported
only when asked for, so ``import polycorpus`` never pulls in stanza or torch.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import ResourceError


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[..., None]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    defaults: dict[str, Any] = field(default_factory=dict)


STAGES: dict[str, Stage] = {}


def stage(name: str, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (),
          defaults: dict[str, Any] | None = None) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(func: Callable[..., None]) -> Callable[..., None]:
        if name in STAGES and STAGES[name].func is not func:
            raise ValueError(f"stage {name!r} is registered already")
        STAGES[name] = Stage(name, func, tuple(requires), tuple(assigns), dict(defaults or {}))
        return func
    return register


def check_order(names: list[str]) -> list[Stage]:
    """The stages in order, or an error naming the first unmet requirement."""
    assigned: set[str] = set()
    stages = []
    for name in names:
        if name not in STAGES:
            raise ValueError(f"unknown stage {name!r}; known: {', '.join(sorted(STAGES))}")
        found = STAGES[name]
        missing = [r for r in found.requires if r not in assigned]
        if missing:
            raise ValueError(f"stage {name!r} needs {', '.join(missing)} from an earlier stage")
        assigned.update(found.assigns)
        stages.append(found)
    return stages


# task -> backend name -> "module:factory"; a factory is imported only when used.
BACKENDS: dict[str, dict[str, str]] = {}


def backend(task: str, name: str, target: str) -> None:
    """Register ``target`` ("package.module:factory") as backend ``name`` for ``task``."""
    BACKENDS.setdefault(task, {})[name] = target


def load_backend(task: str, name: str, **options: Any) -> Any:
    try:
        target = BACKENDS[task][name]
    except KeyError:
        known = ", ".join(sorted(BACKENDS.get(task, {}))) or "none"
        raise ResourceError(None, f"no {task} backend {name!r} (known: {known})") from None
    module_name, _, factory = target.partition(":")
    return getattr(importlib.import_module(module_name), factory)(**options)
