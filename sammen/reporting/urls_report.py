"""Staff pages of the generated report under /personale/rapport/ (Danish slugs)."""

from django.urls import path

from sammen.reporting import views_report as views

urlpatterns = [
    path("<int:year>/rapport/", views.report_prepare, name="report_prepare"),
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("rapporter/<int:pk>/word/", views.report_docx, name="report_docx"),
]
