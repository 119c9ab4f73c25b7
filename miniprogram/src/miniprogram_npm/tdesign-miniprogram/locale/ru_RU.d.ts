import 'dayjs/locale/ru';
declare const _default: {
    actionSheet: {
        cancel: string;
    };
    calendar: {
        confirm: string;
        title: string;
        weekdays: string[];
        monthTitle: string;
        months: string[];
    };
    cascader: {
        title: string;
        placeholder: string;
        filterPlaceholder: string;
        empty: string;
    };
    dropdownMenu: {
        reset: string;
        confirm: string;
    };
    dateTimePicker: {
        dayjsLocale: string;
        title: string;
        cancel: string;
        confirm: string;
        format: string;
        months: string[];
        yearLabel: string;
        monthLabel: string;
        dateLabel: string;
        hourLabel: string;
        minuteLabel: string;
        secondLabel: string;
    };
    form: {
        errorMessage: {
            date: string;
            url: string;
            whitespace: string;
            required: string;
            max: string;
            min: string;
            len: string;
            enum: string;
            idcard: string;
            telnumber: string;
            pattern: string;
            validator: string;
            boolean: string;
            number: string;
        };
        colonText: string;
    };
    picker: {
        cancel: string;
        confirm: string;
    };
    pullDownRefresh: {
        loadingTexts: string[];
    };
    rate: {
        texts: string[];
        valueText: string;
        noValueText: string;
    };
    tabBar: {
        newsAriaLabel: string;
        moreNewsAriaLabel: string;
        haveMoreNewsAriaLabel: string;
        haveNewsAriaLabel: string;
    };
    table: {
        empty: string;
        confirmText: string;
        resetText: string;
        searchResultText: string;
        clearFilterResultButtonText: string;
        pullUpLoadingText: string;
    };
    list: {
        loading: string;
        loadingMoreText: string;
        pulling: string;
        loosing: string;
        success: string;
    };
    upload: {
        progress: {
            uploadingText: string;
            waitingText: string;
            failText: string;
            successText: string;
            reloadText: string;
        };
    };
    guide: {
        next: string;
        skip: string;
        finish: string;
        back: string;
    };
    typography: {
        expandText: string;
        collapseText: string;
        copiedText: string;
    };
    qrcode: {
        expiredText: string;
        refreshText: string;
        scannedText: string;
    };
    attachments: {
        status: {
            pending: string;
            fail: string;
        };
    };
    chatActionbar: {
        actionBar: {
            replay: string;
            copy: string;
            good: string;
            bad: string;
            share: string;
            quote: string;
        };
    };
    chatRecord: {
        holdToTalk: string;
        requestAuth: string;
        releaseToCancel: string;
        releaseToSend: string;
        cancelText: string;
        sendText: string;
        busyTip: string;
        recognizeFailTip: string;
        missingPluginTip: string;
        authSettingFail: string;
        openSettingFail: string;
        systemMicTitle: string;
        systemMicContent: string;
    };
    chatSender: {
        placeholder: string;
        sendText: string;
        stopText: string;
    };
    chatThinking: {
        status: {
            pending: string;
            complete: string;
            stop: string;
        };
    };
};
export default _default;
