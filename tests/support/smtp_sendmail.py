#!/usr/bin/python3
# A sendmail-compatible program for tests: `smtp_sendmail.py [-i] [--] RECIPIENT…` reads the
# message on stdin and hands it to the SMTP server on 127.0.0.1:$CLEMENCY_SMTP_PORT (a local
# sink such as `python3 -m aiosmtpd`), as a mail transfer agent would. Exits 75 (EX_TEMPFAIL)
# when the server cannot take it, like sendmail.
import os
import smtplib
import sys

recipients = [a for a in sys.argv[1:] if a not in ('-i', '-oi', '--')]
message = sys.stdin.buffer.read()
try:
    with smtplib.SMTP('127.0.0.1', int(os.environ['CLEMENCY_SMTP_PORT']), timeout=10) as smtp:
        smtp.sendmail('clemency@localhost', recipients, message)
except (OSError, smtplib.SMTPException, KeyError, ValueError) as err:
    print(f'smtp_sendmail: {err}', file=sys.stderr)
    sys.exit(75)
