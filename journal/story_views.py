"""From a child's journal to a community story: the parent picks a treatment and the story form
opens with figures from the journal filled in (journal.story_figures).

Nothing is shared here. The figures travel in the story form's address, to the parent's own
browser; the story form shows them as values the parent can change or clear, and nothing is posted
until they submit it. The community knows nothing of the journal: its story form reads initial
values from the query string, and this app offers the link (journal/story_prefill.py).
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from journal import access, story_figures
from journal.forms import StoryFiguresForm
from journal.views import journal_page


@journal_page
@require_safe
def story_figures_page(request, child_id):
    child, link = access.child_for(request.user, child_id)
    treatments = story_figures.treatments_of(child)
    form = StoryFiguresForm(request.GET if "event" in request.GET else None, treatments=treatments)
    if form.is_bound and form.is_valid():
        chosen = next(event for event in treatments if event.pk == form.cleaned_data["event"])
        figures = story_figures.figures(child, chosen)
        return redirect(f"{reverse('community:new_story')}?{urlencode(figures)}")
    context = {"child": child, "link": link, "form": form, "treatments": treatments}
    return render(request, "journal/story_figures.html", context, status=400 if form.errors else 200)
