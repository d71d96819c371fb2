"""The data-quality report: the same facts as JSON for machines and as one self-contained HTML page
for people, written into every release."""
