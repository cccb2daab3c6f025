from django.contrib import admin
from django.urls import include, path, re_path

from erhvervskontakt.api.urls import api, not_found
from erhvervskontakt.public import urls as public
from erhvervskontakt.web import health
from erhvervskontakt.web.ratelimit import throttled_login

admin.site.site_header = "Erhvervskontakt – administration"
admin.site.site_title = "Erhvervskontakt"
admin.site.index_title = "Administration"

# A server error: the generic page with the request id (web/errors.py).
handler500 = "erhvervskontakt.web.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("api/v1/", api.urls),
    re_path(r"^api/(?P<rest>.*)$", not_found),
    # The administration's login under the same failure limits as every other login.
    path("admin/login/", throttled_login("admin", "web/login_blocked.html")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("medarbejder/", include("erhvervskontakt.workbench.urls")),
    path("tilfredshed/", include(public.survey_urls)),
    path("tilsynsrapporter/", include(public.inspection_reports_urls)),
    path("", include(public.processing_times_urls)),
    path("", include("erhvervskontakt.portal.urls")),
]

# Documents are never served from MEDIA_ROOT by URL, not even in development (``make run``):
# only the views that check who may see them serve them (web/files.py).
