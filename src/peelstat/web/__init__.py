"""The dashboard: ``peelstat serve``, a FastAPI app of pages and a JSON API over the Workspace.

Every page and endpoint makes Workspace calls through :class:`~peelstat.web.results.Results`
(a pool of read-only connections and a memo of results) and renders the typed result; no
figure is computed here.
"""
