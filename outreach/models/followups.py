from django.db import models


class Subscription(models.Model):
    """A contact's interest in a CMS topic, from the public subscribe form. Nothing is sent for it until the
    contact confirms (the ledger then holds an education consent from the confirmation)."""

    contact = models.ForeignKey("outreach.Contact", on_delete=models.CASCADE, related_name="subscriptions")
    topic = models.ForeignKey("cms.Topic", on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "topic"], name="subscription_unique")]
        indexes = [models.Index(fields=["topic", "confirmed_at"], name="subscription_topic_idx")]

    def __str__(self):
        return f"{self.contact_id} follows {self.topic}"


class ArticleAnnouncement(models.Model):
    """An article that went live and public, to be told to its topics' subscribers. One per page: editing and
    republishing an article never announces it again."""

    page = models.OneToOneField("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    announced_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"Announcement of page {self.page_id}"


class ArticleDelivery(models.Model):
    """Which article reached which contact on which channel, in which message. Unique per contact, channel and page:
    nobody receives the same article twice."""

    contact = models.ForeignKey("outreach.Contact", on_delete=models.CASCADE, related_name="article_deliveries")
    channel = models.CharField(max_length=10)
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("outreach.OutboundMessage", on_delete=models.CASCADE, related_name="articles")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contact", "channel", "page"], name="article_delivery_unique")]

    def __str__(self):
        return f"page {self.page_id} to contact {self.contact_id}"
