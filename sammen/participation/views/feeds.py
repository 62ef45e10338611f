from sammen.participation.views.public import _todo

opportunities_ical = opportunities_atom = opportunities_csv = opportunity_ical = _todo
