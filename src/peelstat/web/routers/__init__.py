"""The app's routes: the JSON API, the pages and the inspection pages (with the writes)."""
