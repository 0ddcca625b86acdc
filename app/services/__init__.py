"""Domain services: plain values and a principal in, models or plain data out."""
