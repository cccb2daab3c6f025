"""What every interface app's pages share: the page skeleton and the public site's layout,
``render_page``, the access decorators, the labels and template tags, the error pages and
the shared static files. Interface apps (portal, workbench, public) import it; it imports
no interface app and no domain app imports it."""
