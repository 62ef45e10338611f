app_name = "ideas_staff"

urlpatterns: list = []
