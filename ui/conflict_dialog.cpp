#include "ui/conflict_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/store/records.h"

namespace frameline::ui {

namespace {
QString json_value_text(const QJsonValue& v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined: return QObject::tr("(none)");
    case QJsonValue::Bool: return v.toBool() ? QStringLiteral("yes") : QStringLiteral("no");
    case QJsonValue::Double: {
        const double d = v.toDouble();
        return d == static_cast<double>(static_cast<qint64>(d)) ? QString::number(static_cast<qint64>(d))
                                                                 : QString::number(d, 'g', 4);
    }
    case QJsonValue::String: return v.toString();
    case QJsonValue::Array:
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact));
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    }
    return {};
}
}  // namespace

ConflictDialog::ConflictDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Changed by someone else"));
    setModal(false);
    auto* layout = new QVBoxLayout(this);
    heading_ = new QLabel(this);
    heading_->setWordWrap(true);
    layout->addWidget(heading_);

    auto* yours_box = new QGroupBox(tr("Yours (not saved)"), this);
    auto* yours_layout = new QVBoxLayout(yours_box);
    yours_ = new QLabel(yours_box);
    yours_->setWordWrap(true);
    yours_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    yours_layout->addWidget(yours_);
    layout->addWidget(yours_box);

    auto* theirs_box = new QGroupBox(tr("Stored now (theirs)"), this);
    auto* theirs_layout = new QVBoxLayout(theirs_box);
    theirs_ = new QPlainTextEdit(theirs_box);
    theirs_->setReadOnly(true);
    theirs_->setMinimumHeight(110);
    theirs_layout->addWidget(theirs_);
    layout->addWidget(theirs_box, 1);

    counter_ = new QLabel(this);
    layout->addWidget(counter_);

    auto* buttons = new QDialogButtonBox(this);
    keep_theirs_ = buttons->addButton(tr("Keep Theirs"), QDialogButtonBox::RejectRole);
    keep_theirs_->setToolTip(tr("Leave what is stored; your edit is dropped"));
    use_mine_ = buttons->addButton(tr("Use Mine"), QDialogButtonBox::AcceptRole);
    use_mine_->setToolTip(tr("Make your edit again over what is stored now (it can be undone)"));
    connect(keep_theirs_, &QPushButton::clicked, this, [this] { decide(false); });
    connect(use_mine_, &QPushButton::clicked, this, [this] { decide(true); });
    layout->addWidget(buttons);
    resize(460, 340);
}

void ConflictDialog::addConflict(const EditReport& report)
{
    pending_.append(report);
    showCurrent();
}

QString ConflictDialog::yoursText() const { return yours_->text(); }
QString ConflictDialog::theirsText() const { return theirs_->toPlainText(); }

QString ConflictDialog::describeStored(const EditReport& report)
{
    QStringList lines;
    lines << tr("state: %1").arg(QString::fromLatin1(to_string(report.result.state)));
    const QByteArray json = QByteArray::fromStdString(report.result.snapshot);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    bool has_version = false;
    if (doc.isObject()) {
        const QJsonObject object = doc.object();
        has_version = object.contains(QLatin1String("version"));
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it.key() == QLatin1String("state")) continue;  // shown above
            lines << QStringLiteral("%1: %2").arg(it.key(), json_value_text(it.value()));
        }
    } else if (!json.isEmpty()) {
        lines << QString::fromUtf8(json);  // not an object: show it as stored rather than nothing
    }
    if (!has_version) lines << tr("version: %1").arg(report.result.version);
    return lines.join(QLatin1Char('\n'));
}

void ConflictDialog::showCurrent()
{
    if (pending_.isEmpty()) return;
    const EditReport& r = pending_.first();
    heading_->setText(tr("Somebody changed %1 %2 before your edit reached the database. Nothing of yours was "
                         "written. Choose which to keep.")
                          .arg(r.entity.isEmpty() ? tr("this row") : r.entity)
                          .arg(r.id));
    yours_->setText(r.text.isEmpty() ? tr("(an edit)") : r.text);
    theirs_->setPlainText(describeStored(r));
    counter_->setText(pending_.size() > 1 ? tr("%1 more conflicts after this one").arg(pending_.size() - 1)
                                          : QString());
    counter_->setVisible(pending_.size() > 1);
    use_mine_->setEnabled(static_cast<bool>(r.retry));
}

void ConflictDialog::decide(bool use_mine)
{
    if (pending_.isEmpty()) {
        close();
        return;
    }
    const EditReport r = pending_.takeFirst();
    if (use_mine && r.retry) {
        r.retry();
        Q_EMIT usedMine(r);
    } else {
        Q_EMIT keptTheirs(r);
    }
    if (pending_.isEmpty()) close();
    else showCurrent();
}

}  // namespace frameline::ui
