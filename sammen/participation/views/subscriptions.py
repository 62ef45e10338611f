from sammen.participation.views.public import _todo

subscribe = subscribe_sent = confirm = unsubscribe = _todo
