namespace Keras;
