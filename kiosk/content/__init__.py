"""The content pipeline: staff files in, checked and typed content out.

``yamlsource`` reads YAML with file:line positions, ``model`` holds the typed content,
``validation`` checks it and ``kiosk.toml``, ``readability`` measures the reading level,
``cache`` saves checked content, ``loading`` is the one way in (used by run, validate,
preview and live reload) and ``watcher`` notices saved changes. Nothing here imports Textual.
"""
