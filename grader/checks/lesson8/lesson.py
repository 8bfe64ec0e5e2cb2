"""Lesson 8: tokens, padding, embeddings and sentiment (course notebooks l09c01–l09c05)."""

from grader.lessons import Lesson

LESSON = Lesson(
    id="lesson8",
    order=8,
    title="Natural language processing: tokens, padding, embeddings and sentiment",
    summary="Turn reviews into padded word ids with TextVectorization, train "
    "Embedding → GlobalAveragePooling1D → Dense(6) → Dense(1) to tell positive from "
    "negative, and write the learned word vectors for the Embedding Projector.",
    epochs=30,
    function_seconds={"train": 300.0},
)
