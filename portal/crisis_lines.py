"""The crisis lines the portal shows, per country (settings.CRISIS_RESOURCES; CRISIS_COUNTRY's come first).

Shown by "Need help now?" on every page, on the flag page and to anyone writing words of crisis.
Each line: (number, who answers and when). Checked against each service's own site; keep them short.
"""

BY_COUNTRY = {
    "US": {
        "name": "United States",
        "lines": [
            ("911", "Emergency services: someone is in danger right now"),
            ("988", "Suicide & Crisis Lifeline: call or text, any time"),
        ],
    },
    "GB": {
        "name": "United Kingdom",
        "lines": [
            ("999", "Emergency services: someone is in danger right now"),
            ("111", "NHS 111: urgent help, including mental health (in England, choose the mental health option)"),
            ("116 123", "Samaritans: free, any time"),
        ],
    },
    "ES": {
        "name": "España",
        "lines": [
            ("112", "Emergencias: alguien está en peligro ahora"),
            ("024", "Línea 024 de atención a la conducta suicida: gratuita, a cualquier hora"),
        ],
    },
}
