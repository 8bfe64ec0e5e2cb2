"""Lesson 4's hints, two levels per check: where to look, then closer (never the answer)."""

HINTS = {
    "datasets": (
        "keras.utils.image_dataset_from_directory reads a folder with one sub-folder per class "
        "and gives batches of (images, labels).",
        "Call it on directory/train with shuffle=True and on directory/validation with "
        "shuffle=False, both with color_mode='grayscale', label_mode='binary', "
        "image_size=image_size and batch_size=batch_size.",
    ),
    "augmenter": (
        "Data augmentation makes new training images from old ones by random changes that "
        "keep what they show: a shirt flipped left to right is still a shirt.",
        "keras.Sequential([keras.layers.RandomFlip('horizontal'), "
        "keras.layers.RandomRotation(0.1)]): random layers change images only in training.",
    ),
    "model": (
        "The network is lesson 3's CNN for two classes: a Rescaling layer first, and one "
        "sigmoid output at the end.",
        "keras.Input((28, 28, 1)), Rescaling(1/255), Conv2D(32, 3, activation='relu'), "
        "MaxPooling2D(), Conv2D(64, 3, activation='relu'), MaxPooling2D(), Flatten(), "
        "Dense(128, activation='relu'), Dense(1, activation='sigmoid').",
    ),
    "switches": (
        "build_model(augment, dropout) builds the same CNN with or without its two ways of "
        "fighting overfitting.",
        "Put make_augmenter() after the Rescaling only if augment is true, and "
        "Dropout(dropout) after Flatten only if dropout > 0. Call both as layers of the model, "
        "so that Keras turns them off at inference.",
    ),
    "compiled": (
        "Two classes and one sigmoid output: the loss is binary cross-entropy.",
        "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy']).",
    ),
    "overfitting": (
        "A model overfits when it learns its training images by heart: training accuracy "
        "climbs towards 100 % while validation accuracy stays behind.",
        "train should return model.fit(train_ds, validation_data=val_ds, epochs=epochs); the "
        "grader then compares the accuracies on training and validation images.",
    ),
    "regularization": (
        "Augmentation shows the model slightly different images every epoch, and dropout "
        "switches random units off: both make learning by heart harder.",
        "Check that build_model() (augment=True, dropout=0.5 by default) contains the "
        "augmenter and a Dropout(0.5) layer, and that they are not active at inference.",
    ),
    "accuracy": (
        "predict_classes gets raw images (0–255), like the training images: the model's own "
        "Rescaling layer scales them.",
        "probabilities = model.predict(images); return (probabilities[:, 0] > 0.5).astype(int): "
        "0 for a shirt, 1 for a T-shirt/top.",
    ),
}
