"""Road-traffic files: facts with sources -> policy grid -> national limits -> proposal -> decision."""
