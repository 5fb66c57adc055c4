"""Query -> ranked passages: vector stores, hybrid search, filters, fusion, LangChain retriever."""
