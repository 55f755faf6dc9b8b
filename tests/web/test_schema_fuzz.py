"""schemathesis against the app's own OpenAPI schema: no request, however odd, is a 500."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402


@pytest.mark.slow
def test_no_generated_request_is_a_server_error(web_app) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", web_app)
    failures = []
    for operation in schema.get_all_operations():
        op = operation.ok()
        if op.method.upper() != "GET" or op.path in ("/api/v1/boundaries",):
            continue

        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(case=op.as_strategy())
        def check(case) -> None:
            response = case.call()
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} {case.query}: {response.status_code}"
                )

        check()
    assert not failures, failures
