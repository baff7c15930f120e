"""One list of demos: the registry mounts exactly what the catalog lists, each with a real build()."""

import importlib

from demos.catalog import DEMO_SLUGS, DEMOS
from demos.registry import DEMO_BUILDERS, available_demo_slugs


def test_the_registry_is_derived_from_the_catalog():
    assert available_demo_slugs() == DEMO_SLUGS
    assert list(DEMO_BUILDERS) == [demo.slug for demo in DEMOS]
    for builder in DEMO_BUILDERS.values():
        module, function = builder.split(":")
        assert callable(getattr(importlib.import_module(module), function))
