from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """Forms render through the project's own templates, so `{{ form.field.as_field_group }}` draws a
    field the portal's way (templates/includes/field.html): label, help and errors linked for screen
    readers, and a list of radio buttons or checkboxes as a fieldset whose legend is the question."""

    field_template_name = "includes/field.html"
