"""Built-in .docx templates, one folder per format profile (installed as tetngheo_docs.templates).

The .docx files are generated from the profiles by ``python templates/build.py``; do not edit
them by hand (edit the profile or the builder), so that a rule change is a reviewed diff.
"""
