"""What the test suites of several apps share (not an app, never imported by the product):
reading pages (``html``), the structural accessibility check (``structure``), the browser
harness (``browser``), a business's journey through the portal (``journey``) and catalogue
rows some tests need (``catalogue``). Domain and interface tests import it instead of each
other's test modules."""
