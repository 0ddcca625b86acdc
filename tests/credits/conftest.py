"""Fixtures of the credit tests: the reference jurisdictions as the seeds store them."""

import pytest

from app.models import Jurisdiction
from seeds.loader import Loader, load_reference


@pytest.fixture(scope="module")
async def reference(orm: None) -> dict[str, Jurisdiction]:
    """The five jurisdictions and their requirements, loaded once per module.

    For tests that only read them: loading is idempotent, and the objects
    stay usable after other tests clear the database.
    """
    await load_reference(Loader())
    found = await Jurisdiction.all().prefetch_related("requirements")
    return {j.code: j for j in found}


@pytest.fixture
async def seeded(clean: None) -> dict[str, Jurisdiction]:
    """The reference jurisdictions in an otherwise empty database."""
    await load_reference(Loader())
    return {j.code: j for j in await Jurisdiction.all()}
