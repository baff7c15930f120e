"""Which demos are built, and how to build each (import paths only: nothing heavy at import)."""

import importlib

from demos.catalog import DEMOS

# slug → "module:function" returning a gr.Blocks, from the one list in demos/catalog.py.
DEMO_BUILDERS: dict[str, str] = {demo.slug: demo.builder for demo in DEMOS}


def available_demo_slugs() -> frozenset[str]:
    return frozenset(DEMO_BUILDERS)


def build_demo(slug: str):
    from demos.page import progress_in_one_place

    module_name, func_name = DEMO_BUILDERS[slug].split(":")
    return progress_in_one_place(getattr(importlib.import_module(module_name), func_name)())
