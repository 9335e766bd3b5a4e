from .campaigns import Campaign, CampaignStep, StepTranslation
from .choices import Channel, MessageStatus, Purpose
from .consent import ConsentRecord
from .consultations import Consultation
from .contacts import Contact
from .followups import ArticleAnnouncement, ArticleDelivery, Subscription
from .inbound import DeliveryEvent, InboundMessage
from .outbox import OutboundMessage
from .suppressions import Suppression
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "ArticleAnnouncement",
    "ArticleDelivery",
    "Subscription",
    "Campaign",
    "CampaignStep",
    "Channel",
    "ConsentRecord",
    "Consultation",
    "Contact",
    "DeliveryEvent",
    "InboundMessage",
    "MessageStatus",
    "OutboundMessage",
    "Purpose",
    "StepTranslation",
    "Suppression",
]
