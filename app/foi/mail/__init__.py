"""Incoming replies to requests: matching them to requests (receiving), and the text of their
attachments (attachments, with readers for old Word and RTF files)."""
