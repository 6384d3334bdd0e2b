from cases import access, selectors


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "can_create_referral": access.can_create_referral(user),
        # Lazy: counted only by the pages that show it (one query).
        "unread_messages": selectors.unread_messages(user).count,
    }
