#pragma once
#include <QIcon>

namespace frameline::ui {

// Frameline's icon (resources/icons/frameline.svg).
QIcon app_icon();

}  // namespace frameline::ui
