"""/api/docs is served from Peerwork's own static files, so it works under the app's content security policy."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client


def test_api_docs_load_only_local_assets_that_exist(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    urls = re.findall(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', page)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    assert any(u.endswith("swagger-ui.css") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), f"{url} is not one of Peerwork's own files"
        assert finders.find(url.removeprefix("/static/")), f"{url} is referenced but not shipped"
    assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>", page), "inline script"
    assert '"validatorUrl": null' in page
