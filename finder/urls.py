from django.urls import path

app_name = "finder"
urlpatterns: list = []
