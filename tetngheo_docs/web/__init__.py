"""The live preview in the browser: ``tetngheo xem-truc-tiep`` (`cli.serve_command`).

`app` is the Starlette application, `office` what the office folder holds and which paths
are allowed, `preview` the page images, `warm` the LibreOffice kept running between views.
"""
