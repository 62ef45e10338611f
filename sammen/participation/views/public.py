from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse("")


home = opportunity_list = opportunity_detail = channel_list = channel_detail = district_list = (
    district_detail
) = _todo
