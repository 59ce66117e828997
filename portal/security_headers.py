"""The Permissions-Policy and Content-Security-Policy every page sends (settings.PERMISSIONS_POLICY,
settings.CONTENT_SECURITY_POLICY, read by django-csp and portal.middleware)."""

# No page uses these browser features: none may be used by a page or by anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    )
)  # fmt: skip

# Self-only sources. No nonces: cached pages would replay one nonce to everyone.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"], "script-src": ["'self'"], "style-src": ["'self'"], "img-src": ["'self'", "data:"],
        "font-src": ["'self'"], "connect-src": ["'self'"], "object-src": ["'none'"], "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"], "form-action": ["'self'"],
    }
}  # fmt: skip
