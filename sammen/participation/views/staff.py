from sammen.participation.views.public import _todo

dashboard = _todo
