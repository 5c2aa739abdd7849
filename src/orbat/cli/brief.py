"""`orbat brief`: a written analysis drafted from the knowledge base."""
