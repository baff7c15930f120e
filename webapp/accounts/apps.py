from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "webapp.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from webapp.fragments import account_invalidate

        def account_changed(sender, instance, **kwargs) -> None:
            account_invalidate(user_id=instance.pk)  # the row kept for signed-in pages (backends.py)

        user_model = get_user_model()  # weak=False: the receiver is local to this method
        post_save.connect(account_changed, sender=user_model, weak=False, dispatch_uid="account-kept-row")
        post_delete.connect(
            account_changed, sender=user_model, weak=False, dispatch_uid="account-kept-row-gone"
        )
