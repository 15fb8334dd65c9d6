DROP TABLE round_reminders;
